// The types of ts-compile.mjs, for the TypeScript that warms its cache.
export declare const CACHE_DIR: string;
export declare function compile(file: string, source: string, standalone?: boolean): Promise<string>;
export declare function warm(files: readonly string[]): Promise<void>;
export declare function cacheEntry(file: string, source: string, standalone?: boolean): string;
export declare const STANDALONE_META: Record<'import.meta.url' | 'import.meta.filename' | 'import.meta.dirname', string>;
