/** Repository-relative path → `<git status> <sha256 of content>`, for paths that differ from HEAD or are untracked. */
export declare function treeState(cwd?: string): Map<string, string>;
/** The paths whose state differs between two treeState() snapshots, sorted. */
export declare function changedPaths(before: Map<string, string>, after: Map<string, string>): string[];
