/** Training by epochs, shared by every model: the loop, its log, the divergence stop and progress. */
export * from "./epoch-log";
export * from "./epochs";
export * from "./diverged";
export * from "./format-epoch";
export { createProgress, type Progress } from "./progress";
