export declare const nodeVersions: string[];
export declare function nodeCommand(version: string): { command: string; prefix: string[] };
export declare function nodeLabel(version: string): string;
