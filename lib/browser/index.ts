/** Everything that runs in the browser: the forward pass of saved networks, the drawing widget, the dashboard. */
export * from "./network-spec";
export { browserRuntimeSource, scriptJson } from "./runtime";
export { canvasWidgetHtml, toBrowserNetwork, uniqueId, type CanvasWidgetOptions } from "./canvas-widget";
export { attachDrawingWidget } from "./canvas-controller";
export { showCanvas, showDashboard } from "./show";
export * from "./dashboard-data";
export { dashboardHtml, dashboardFragmentHtml, writeDashboard } from "./dashboard";
