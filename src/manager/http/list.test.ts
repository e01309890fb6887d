import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileListQuery, envelope } from './list.js';

const fields = ['id', 'name', 'created_at'] as const;

test('compileListQuery: paging, sort with -, include; unknown include and sort fields refused', () => {
  const q = compileListQuery({ _offset: '5', _size: '2', _sort: ['-created_at', 'id'], _include: 'id,name' }, fields);
  assert.deepEqual(q, { offset: 5, size: 2, sort: [{ field: 'created_at', desc: true }, { field: 'id', desc: false }], include: ['id', 'name'] });
  assert.throws(() => compileListQuery({ _include: 'id,nope' }, fields), { code: 'no_such_include_field_error' } as object);
  assert.throws(() => compileListQuery({ _sort: 'nope' }, fields), { code: 'bad_parameters_error' } as object);
  assert.throws(() => compileListQuery({ _size: '5000' }, fields), { code: 'bad_parameters_error' } as object);
  assert.throws(() => compileListQuery({ _offset: '-1' }, fields), { code: 'bad_parameters_error' } as object);
});

test('envelope projects included fields and reports pagination', () => {
  const out = envelope({ items: [{ id: 'a', name: 'x', created_at: 't' }], total: 7 }, { offset: 3, size: 1, include: ['id'] });
  assert.deepEqual(out, { items: [{ id: 'a' }], metadata: { pagination: { total: 7, size: 1, offset: 3 } } });
});
