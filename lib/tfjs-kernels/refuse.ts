/**
 * The one error every kernel here throws for input it will not compute: it names the kernel, the
 * attribute, the value and what is supported, so that nothing unsupported ever yields silent wrong numbers.
 */
export class UnsupportedKernelInput extends Error {
  constructor(
    readonly kernel: string,
    readonly attribute: string,
    value: unknown,
    expected: string,
  ) {
    super(
      `${kernel} (mnist-notebooks wasm kernels): ${attribute} = ${show(value)} is not supported; expected ${expected}`,
    );
    this.name = "UnsupportedKernelInput";
  }
}

/** The attribute or input `name` of a tfjs 4.x kernel call, or a clear error when tfjs passed none. */
export function required<T>(kernel: string, where: "attribute" | "input", record: object, name: string): T {
  const value = (record as Record<string, unknown>)[name];
  if (value === undefined) {
    throw new UnsupportedKernelInput(
      kernel,
      `${where} ${name}`,
      undefined,
      `the TensorFlow.js 4.x kernel signature (this TensorFlow.js passed: ${Object.keys(record).join(", ") || "nothing"})`,
    );
  }
  return value as T;
}

function show(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
