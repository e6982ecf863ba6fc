/** Globally unique identifiers (UUIDs in production). */
export interface IdGenerator {
  next(): string;
}
