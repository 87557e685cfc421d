// Requires the built package by its own name (CommonJS), as a user would. Run after `npm run build`.
const assert = require('node:assert/strict');
const { MlcycleError, MemoryStorage, Random } = require('mlcycle');
const { SqliteStorage } = require('mlcycle/storage/sqlite');

assert.equal(new MlcycleError('STORAGE', 'x').code, 'STORAGE');
assert.ok(MlcycleError.is(new MlcycleError('STORAGE', 'x'), 'STORAGE'));
assert.equal(typeof new Random(1).int(1, 6), 'number');
assert.equal(typeof SqliteStorage.open, 'function');
new MemoryStorage()
  .put('c', 'a', { ok: true })
  .then((doc) => {
    assert.equal(doc.revision, 1);
    console.log('CJS require of mlcycle and mlcycle/storage/sqlite: ok');
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
