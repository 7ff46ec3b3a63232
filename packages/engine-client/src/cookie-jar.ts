// A minimal cookie jar for Node.js (`withCredentials: true`): browsers keep cookies
// themselves, but Node's http and ws do not, so the session cookie set by the server (for
// sticky sessions behind a load balancer) would never come back. One jar per socket. Domain
// and path are not checked: every request of a socket goes to the same origin and path.

/** A cookie kept by the jar (engine.io-client's `Cookie` type). */
export interface Cookie {
  name: string;
  value: string;
  /** When it expires; absent for a session cookie. */
  expires?: Date;
}

interface StoredCookie {
  value: string;
  /** Epoch milliseconds; undefined for a session cookie. */
  expiresAt: number | undefined;
}

export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  /** Stores the cookies of `Set-Cookie` header values (one cookie per value). */
  parse(setCookie: string | readonly string[] | undefined, now = Date.now()): void {
    if (setCookie === undefined) return;
    for (const line of typeof setCookie === "string" ? [setCookie] : setCookie) this.#parseOne(line, now);
  }

  /** The live cookies, by name (expired ones are dropped as they are met). */
  *cookies(now = Date.now()): IterableIterator<[string, Cookie]> {
    for (const [name, cookie] of this.#cookies) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) {
        this.#cookies.delete(name);
        continue;
      }
      yield [name, cookie.expiresAt === undefined ? { name, value: cookie.value } : { name, value: cookie.value, expires: new Date(cookie.expiresAt) }];
    }
  }

  /** The `Cookie` request header value, or undefined when the jar holds no live cookie. */
  header(now = Date.now()): string | undefined {
    const pairs: string[] = [];
    for (const [name, cookie] of this.#cookies) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) {
        this.#cookies.delete(name);
        continue;
      }
      pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join("; ") : undefined;
  }

  #parseOne(line: string, now: number): void {
    const parts = line.split(";");
    const pair = parts[0]!;
    const equals = pair.indexOf("=");
    if (equals <= 0) return;
    const name = pair.slice(0, equals).trim();
    if (name.length === 0) return;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    let expiresAt: number | undefined;
    let maxAgeSeen = false;
    for (let i = 1; i < parts.length; i++) {
      const attribute = parts[i]!;
      const separator = attribute.indexOf("=");
      if (separator === -1) continue;
      const key = attribute.slice(0, separator).trim().toLowerCase();
      const attributeValue = attribute.slice(separator + 1).trim();
      if (key === "max-age") {
        // Max-Age wins over Expires (RFC 6265 §5.3); zero or less, or garbage, expires now.
        const seconds = Number.parseInt(attributeValue, 10);
        expiresAt = Number.isNaN(seconds) || seconds <= 0 ? 0 : now + seconds * 1000;
        maxAgeSeen = true;
      } else if (key === "expires" && !maxAgeSeen) {
        const time = Date.parse(attributeValue);
        expiresAt = Number.isNaN(time) ? 0 : time;
      }
    }
    if (expiresAt !== undefined && expiresAt <= now) this.#cookies.delete(name);
    else this.#cookies.set(name, { value, expiresAt });
  }
}
