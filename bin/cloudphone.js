#!/usr/bin/env node
// The `cloudphone` CLI. Compiled code lives in dist/ (npm run build); this file only starts it.
"use strict";
require("../dist/provider/cli/main").run().catch((e) => {
    // main() turns every failure into exit code 2 itself; this is only reached on a bug in the wiring.
    process.stderr.write(`cloudphone: internal error: ${e && e.message ? e.message : String(e)}\n`);
    process.exitCode = 2;
});
