// A simulated region: one listener, known by its index and `region-<index>` name
// (docs/spec/regions.md#regions).

export interface Region {
  readonly index: number;
  /** The index as the `X-Lk-Mock-Region` header writes it. */
  readonly indexText: string;
  /** `region-<index>` */
  readonly name: string;
  readonly port: number;
  /** What /settings/regions lists: `<advertiseHost>:<port>` unless advertised otherwise. */
  readonly url: string;
}

export function createRegion(index: number, port: number, url: string): Region {
  return { index, indexText: String(index), name: `region-${index}`, port, url };
}
