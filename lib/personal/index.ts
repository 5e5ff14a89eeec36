/**
 * Personalisation: a synthetic person's handwriting, a person's own labelled samples read from
 * data/personal/<name>/, and fine-tuning a copy of a CNN to one person's hand (notebook 08, `npm run app`).
 */
export * from "./synthetic-person";
export * from "./personal-samples";
export * from "./fine-tune";
export * from "./digits-in-picture";
