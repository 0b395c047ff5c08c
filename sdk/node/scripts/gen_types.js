'use strict';
// Generates the TypeScript types of Stepway's protos (messages, enums, service clients) with
// proto-loader-gen-types, under the same options as LOADER_OPTIONS: `npm run gen-types`
// writes them to types/proto/; `node scripts/gen_types.js DIR` writes them to DIR instead.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { SERVICE_FILES, findProtosDir } = require('../src/protos');

const GENERATOR = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');

// The generator's flags for LOADER_OPTIONS (src/protos.js): keep the two in step.
const FLAGS = ['--longs=String', '--enums=String', '--bytes=Buffer', '--defaults', '--oneofs'];

/** Replaces `outDir` with the types generated from the protos directory's services. */
function generateTypes(outDir, protosDir = findProtosDir()) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const args = [...FLAGS, '--includeComments', '--grpcLib=@grpc/grpc-js', '-I', '.', '-O', path.resolve(outDir)];
  // Run from the protos directory, so that each file's "Original file" line is the same anywhere.
  execFileSync(process.execPath, [GENERATOR, ...args, ...SERVICE_FILES], { cwd: protosDir, stdio: 'inherit' });
}

if (require.main === module) {
  generateTypes(process.argv[2] ?? path.join(__dirname, '..', 'types', 'proto'));
}

module.exports = { generateTypes };
