/**
 * The base of links the API sends out (emails): `PUBLIC_URL`, or else the address it listens on, known
 * once the server is up (the channel worker starts only then).
 */
export class PublicUrl {
  private listening: string | undefined;

  constructor(private readonly configured?: string) {}

  listeningOn(url: string): void {
    this.listening = url;
  }

  get(): string {
    return this.configured ?? this.listening ?? 'http://localhost';
  }
}
