/**
 * lib/kernels and lib/nn type-check under the project's own TypeScript (the one `npm run lab` watches
 * with), not only under the TypeScript 5.0 that tslab bundles, which node_modules/.bin/tsc points to.
 * 5.7 and later make typed arrays generic over their buffer, which 5.0 cannot see.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..", "..");

function sourcesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(dir, file));
}

describe("engine sources under the project's TypeScript", () => {
  it("type-check without errors", function () {
    this.timeout(120000);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.ok(
      ts.version.startsWith(
        manifest.devDependencies.typescript.replace(/^[~^]/, "").split(".").slice(0, 2).join("."),
      ),
      `this test must run the declared TypeScript ${manifest.devDependencies.typescript}, got ${ts.version}`,
    );
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText)),
      },
    );
    assert.ok(config);
    const files = [
      ...sourcesUnder(path.join(ROOT, "lib", "kernels")),
      ...sourcesUnder(path.join(ROOT, "lib", "nn")),
    ];
    const program = ts.createProgram(files, { ...config.options, noEmit: true });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    assert.deepStrictEqual(errors, []);
  });
});
