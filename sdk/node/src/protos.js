'use strict';
// Loads Stepway's services from the .proto files at run time (no generated code to keep in step).

const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const SERVICE_FILES = [
  'stepway/v1/worker_service.proto',
  'stepway/v1/workflow_service.proto',
  'stepway/v1/admin_service.proto',
  'stepway/v1/schedule_service.proto',
];

/**
 * How protobuf maps to JavaScript everywhere in this package (the README has a table), and in
 * the TypeScript types of types/proto (scripts/gen_types.js gives the generator the same).
 */
const LOADER_OPTIONS = Object.freeze({
  keepCase: false, // fields in camelCase: taskToken, stepType, heartbeatTimeout
  longs: String, // 64-bit integers (Duration.seconds, Timestamp.seconds) as decimal strings
  enums: String, // enum values by name: 'STEP_KIND_CALL'
  bytes: Buffer, // bytes (task tokens, Payload.data) as Buffers
  defaults: true, // unset scalars read as their zero value, unset messages as null
  oneofs: true, // a oneof's name holds the name of its field that is set
});

/**
 * The protos directory: the protosDir option, else $STEPWAY_PROTOS (either one is the only
 * place looked at), else the copy packed into the package, else the Stepway repository's.
 */
function findProtosDir(protosDir = process.env.STEPWAY_PROTOS) {
  const candidates = protosDir
    ? [protosDir]
    : [
        path.join(__dirname, '..', 'protos'), // copied in by `npm pack` (the prepack script)
        path.join(__dirname, '..', '..', '..', 'protos'), // sdk/node in the Stepway repository
      ];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, SERVICE_FILES[0]))) return path.resolve(dir);
  }
  throw new Error(
    `Stepway's protos not found in ${candidates.join(', ')}: ` +
      'set STEPWAY_PROTOS or the protosDir option to the directory that holds stepway/v1/',
  );
}

const loaded = new Map();

/** The `stepway.v1` package namespace (service constructors) loaded from a protos directory. */
function loadServices(protosDir) {
  const dir = findProtosDir(protosDir);
  if (!loaded.has(dir)) {
    const definition = protoLoader.loadSync(SERVICE_FILES, { ...LOADER_OPTIONS, includeDirs: [dir] });
    loaded.set(dir, grpc.loadPackageDefinition(definition).stepway.v1);
  }
  return loaded.get(dir);
}

module.exports = { SERVICE_FILES, LOADER_OPTIONS, findProtosDir, loadServices };
