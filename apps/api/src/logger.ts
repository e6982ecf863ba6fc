import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * Paths never written to a log: credentials in headers, bodies and results. pino-http logs request
 * headers, so both the header and the cookie holding the JWT must go.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.token',
  '*.secret',
];

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'pushline-api' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  if (config.logFormat === 'pretty') {
    // The request line already says method, path, status and time; the objects behind it stay in JSON mode.
    const ignore = 'pid,hostname,service,req,res,responseTime,reqId';
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore, singleLine: true } } });
  }
  return pino(options);
}
