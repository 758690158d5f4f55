export declare function bunBinary(workspaceDirectory: string): string;
export declare function denoBinary(workspaceDirectory: string): string;
export declare const workerBundleOptions: Readonly<{
  bundle: true;
  conditions: string[];
  platform: 'neutral';
  mainFields: string[];
  format: 'esm';
  target: string;
  keepNames: true;
}>;
export declare const compatibilityDate: string;
export declare function workerdOptions<T extends object>(
  script: string,
  options?: T,
): {
  modules: true;
  script: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  outboundService: unknown;
} & T;
