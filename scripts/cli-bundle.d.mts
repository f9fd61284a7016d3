/** Types of scripts/cli-bundle.mjs (the ahead-of-time build of the riskfn CLI). */

/** Where bin/riskfn.js looks for the bundle (dist/riskfn.mjs). */
export declare const BUNDLE: string;

/** The bundle's path when it exists and every file it was built from is unchanged; else null. */
export declare function freshBundle(bundle?: string): string | null;

/** Builds the bundle (default: dist/riskfn.mjs) and returns its path. */
export declare function buildCli(options?: { outfile?: string }): Promise<string>;
