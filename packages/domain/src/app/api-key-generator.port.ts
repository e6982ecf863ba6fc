/** Makes new API keys and hashes presented ones; the key itself is never stored. */
export interface ApiKeyGenerator {
  /** A fresh key (`plk_<prefix>_<secret>`), its lookup prefix and the hash to store. */
  generate(): { readonly key: string; readonly prefix: string; readonly hash: string };
  /** The prefix and hash of a presented key, or null when it is not shaped like one of ours. */
  parse(key: string): { readonly prefix: string; readonly hash: string } | null;
}
