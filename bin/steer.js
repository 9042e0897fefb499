#!/usr/bin/env node
// The `steer` command: runs the TypeScript CLI through tsx, so the sources are always what runs.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli.ts');
