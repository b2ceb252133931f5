// The reader loadOnnx decodes files with (src/onnx/proto-reader.ts): protobufjs' own reader that
// hands out one view for equal short bytes fields. Against protobufjs' stock reader on the same
// bytes: the ONNX project's 519 operator test models, and a forest's worth of node modes.
import { readdirSync, readFileSync } from 'node:fs';
import $protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { onnx } from '../src/onnx/onnx-proto.js';
import { onnx as full } from '../src/onnx/onnx-proto-full.js';
import { ProtoReader } from '../src/onnx/proto-reader.js';

const root = new URL('fixtures/onnx-backend/', import.meta.url);
const text = (s: string) => new TextEncoder().encode(s);

describe('the ONNX decoder\'s reader', () => {
  it('decodes every ONNX backend test model to what protobufjs\' own reader decodes', () => {
    const cases = readdirSync(root).filter((d) => d.startsWith('test_'));
    expect(cases.length).toBe(519);
    for (const dir of cases) {
      const bytes = new Uint8Array(readFileSync(new URL(`${dir}/model.onnx`, root)));
      expect(onnx.ModelProto.decode(new ProtoReader(bytes)), dir).toEqual(onnx.ModelProto.decode($protobuf.Reader.create(bytes)));
    }
  });

  it('gives equal short bytes fields one view (node modes, labels), longer ones and distinct values a view each, with the contents of the stock reader', () => {
    const modes = ['BRANCH_LEQ', 'LEAF', 'BRANCH_LT', 'LEAF', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ', 'BRANCH_LEQ', 'LEAF', 'LEAF', 'BRANCH_LT'];
    // Nine distinct values (one more than the reader remembers), then the first again.
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'a', 'exactly16bytes..', 'exactly16bytes..', 'seventeen bytes..', 'seventeen bytes..'];
    const bytes = full.ModelProto.encode({
      irVersion: 8,
      graph: { node: [{ opType: 'TreeEnsembleClassifier', domain: 'ai.onnx.ml', attribute: [
        { name: 'nodes_modes', type: full.AttributeProto.AttributeType.STRINGS, strings: modes.map(text) },
        { name: 'classlabels_strings', type: full.AttributeProto.AttributeType.STRINGS, strings: labels.map(text) },
      ] }] },
    }).finish();
    const read = onnx.ModelProto.decode(new ProtoReader(bytes)), stock = onnx.ModelProto.decode($protobuf.Reader.create(bytes));
    expect(read).toEqual(stock);
    const [m, l] = read.graph!.node[0].attribute.map((a) => a.strings);
    const decoded = (list: Uint8Array[]) => list.map((s) => new TextDecoder().decode(s));
    expect(decoded(m)).toEqual(modes);
    expect(decoded(l)).toEqual(labels);
    for (let i = 0; i < modes.length; i++) {
      for (let j = 0; j < i; j++) expect(m[i] === m[j], `modes ${j} and ${i}`).toBe(modes[i] === modes[j]);
    }
    expect(l[11]).toBe(l[10]);
    expect(l[13]).not.toBe(l[12]);
    // 'a' was forgotten after eight other values: read again, it is a view of its own (of equal bytes).
    expect(l[9]).not.toBe(l[0]);
    // Every view still shows the file's bytes where it was first read.
    for (const s of [...m, ...l]) expect(bytes.buffer).toBe(s.buffer);
  });
});
