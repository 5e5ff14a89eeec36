/** The ensemble (notebook 07, `npm run train`): soft voting, weights chosen on validation, manifests. */
export * from "./voting";
export * from "./weights";
export * from "./manifest";
export * from "./members";
export * from "./tiers";
export * from "./final";
export * from "./summary";
export * from "./load";
export * from "./stored";
