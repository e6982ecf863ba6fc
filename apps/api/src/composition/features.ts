import * as registered from '../features/index.js';
import type { Feature } from './feature.js';

/**
 * The registered features, in name order (a module namespace is sorted): routes of different areas
 * never overlap, so the order only has to be stable. A non-feature export fails to compile here.
 */
export const features: readonly Feature[] = Object.values(registered);
