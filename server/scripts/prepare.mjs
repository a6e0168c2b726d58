// `npm test` runs this first: the tests need the installed tree and the built web client.
import { ensureDependencies, ensureWebBuild } from './bootstrap.mjs';

ensureDependencies();
ensureWebBuild();
