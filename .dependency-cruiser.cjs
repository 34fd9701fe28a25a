/**
 * The import order of src/ (docs/ARCHITECTURE.md), checked by test/architecture/imports.test.ts:
 * a module imports its own folder and the layers below its own, never one above.
 *
 *   cli → api → runs → projection → capacity → kernel → model → population → register → geo → io
 *     → errors.ts, paths.ts, limits.ts
 *
 * projection and capacity form one layer, as do population and register; within each pair the
 * first may import the second (the projection applies the capacity rules; the synthetic
 * population lists residents with the register's clinics), never the reverse. src/index.ts,
 * the public entry point, sits above everything.
 */
const LAYERS = [
  { name: "cli", path: "^src/cli/" },
  { name: "api", path: "^src/api/" },
  { name: "runs", path: "^src/runs/" },
  { name: "projection", path: "^src/projection/" },
  { name: "capacity", path: "^src/capacity/" },
  { name: "kernel", path: "^src/kernel/" },
  { name: "model", path: "^src/model/" },
  { name: "population", path: "^src/population/" },
  { name: "register", path: "^src/register/" },
  { name: "geo", path: "^src/geo/" },
  { name: "io", path: "^src/io/" },
  { name: "base", path: "^src/(errors|paths|limits)\\.ts$" },
];

const upward = LAYERS.slice(1).map((layer, index) => {
  const above = LAYERS.slice(0, index + 1);
  return {
    name: `${layer.name}-imports-upward`,
    severity: "error",
    comment: `${layer.name} must not import a layer above it: ${above.map((l) => l.name).join(", ")} (docs/ARCHITECTURE.md)`,
    from: { path: layer.path },
    to: { path: above.map((l) => l.path) },
  };
});

module.exports = {
  forbidden: [
    ...upward,
    {
      name: "nothing-imports-the-entry-point",
      severity: "error",
      comment: "src/index.ts is the package's public surface; modules import each other directly",
      from: { path: "^src/" },
      to: { path: "^src/index\\.ts$" },
    },
    {
      // Type-only imports vanish from the compiled code, so a cycle that passes through one does
      // not make module initialisation order matter (e.g. a helper module typed by its caller).
      name: "no-circular",
      severity: "error",
      comment: "a cycle makes the order of module initialisation matter and hides a missing layer",
      from: { path: "^src/" },
      to: { circular: true, dependencyTypesNot: ["type-only"], viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
