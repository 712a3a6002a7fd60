import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Daemon checks create network namespaces and run real processes: keep files in separate
    // workers but not too many at once on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
