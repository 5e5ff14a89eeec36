/**
 * What notebooks reach as `mn.tuning`: the search library (lib/tuning) and its charts
 * (lib/plots/tuning-charts), which sit on different layers: the charts draw search results, the
 * searches know nothing of charts.
 */
export * from "./tuning";
export * from "./plots/tuning-charts";
