#!/usr/bin/env node
// The `umbra` command as npm links it. This file is in the repository (the compiled CLI in dist/ is not),
// so `npm ci` can link the command before the first build, and `npx umbra` works once `npm start` or
// `npm run build` has compiled dist/.
import '../dist/main.js';
