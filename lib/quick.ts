/**
 * Quick mode (MNIST_QUICK=1) runs every notebook on small subsets with few epochs, so the whole set
 * executes headless in tests within minutes. Notebooks pick sizes with `quickOr(quickValue, fullValue)`.
 */
export function isQuickMode(): boolean {
  return process.env.MNIST_QUICK === "1";
}

export function quickOr<T>(quickValue: T, fullValue: T): T {
  return isQuickMode() ? quickValue : fullValue;
}
