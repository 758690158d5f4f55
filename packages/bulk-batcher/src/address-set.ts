/**
 * A set of email addresses (case-insensitive) that keeps 8 bytes per address instead of the string:
 * two independent 32-bit hashes in an open-addressing table. A million addresses take about 18 MB;
 * the chance that two of a million different addresses share both hashes is about 3 in 10^8.
 */
export class AddressSet {
  private high = new Uint32Array(1 << 12);
  private low = new Uint32Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  private count = 0;

  /** Adds the address; false when it was there already. */
  add(email: string): boolean {
    let first = 0x811c9dc5;
    let second = 0x01000193 ^ email.length;
    for (let index = 0; index < email.length; index += 1) {
      let code = email.charCodeAt(index);
      if (code >= 65 && code <= 90) code += 32;
      first = Math.imul(first ^ code, 0x01000193);
      second = Math.imul(second ^ code, 0x5bd1e995);
      second ^= second >>> 15;
    }
    first >>>= 0;
    second = (second ^ (second >>> 13)) >>> 0;
    if (this.count * 2 >= this.used.length) this.grow();
    return this.insert(first, second);
  }

  get size(): number {
    return this.count;
  }

  private insert(first: number, second: number): boolean {
    const mask = this.used.length - 1;
    for (let slot = (first ^ Math.imul(second, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      if (this.used[slot] === 0) {
        this.used[slot] = 1;
        this.high[slot] = first;
        this.low[slot] = second;
        this.count += 1;
        return true;
      }
      if (this.high[slot] === first && this.low[slot] === second) return false;
    }
  }

  private grow(): void {
    const { high, low, used } = this;
    this.high = new Uint32Array(used.length * 2);
    this.low = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.count = 0;
    for (let slot = 0; slot < used.length; slot += 1) if (used[slot]) this.insert(high[slot]!, low[slot]!);
  }
}
