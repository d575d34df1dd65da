#!/usr/bin/env node
"use strict";
// The compiled plugin entry (plain node, no ts-node). Pulumi's run-plugin require()s the package, whose `main`
// is this file; run directly it does the same. It starts the provider and prints its port on stdout.
require("../dist/provider/plugin/main").main();
