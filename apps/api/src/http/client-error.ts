import type { Duplex } from 'node:stream';

/**
 * Node's default answers a request whose headers did not arrive within `headersTimeout` with 408,
 * and EventSource treats any non-200 answer as final: in a reconnect storm, a connection that waited
 * in the accept queue while the event loop was busy would leave its device offline for good. Such a
 * connection is closed without an answer instead (a network error, which EventSource retries); other
 * client errors keep Node's answers.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.destroy();
    return;
  }
  const answered = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !answered && error.code !== 'ECONNRESET') {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\n\r\n`);
    return;
  }
  socket.destroy();
}
