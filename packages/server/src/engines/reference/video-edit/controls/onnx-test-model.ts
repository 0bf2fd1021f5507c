// A tiny ONNX model built byte by byte (protobuf wire format), so the depth-model slot is tested without
// shipping or downloading a model: input x [1, 3, H, W] → ReduceMean over the channels → y [1, 1, H, W].
// On ImageNet-normalised input that is a brightness map: brighter reads as nearer.

const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};
const key = (field: number, wire: number): number[] => varint(field * 8 + wire);
const bytes = (field: number, b: readonly number[]): number[] => [
  ...key(field, 2),
  ...varint(b.length),
  ...b,
];
const str = (field: number, s: string): number[] => bytes(field, [...Buffer.from(s, 'utf8')]);
const int = (field: number, n: number): number[] => [...key(field, 0), ...varint(n)];

/** A tensor type with `shape` entries that are sizes (numbers) or symbolic names (strings). */
const tensorType = (shape: readonly (number | string)[]): number[] => {
  const dims = shape.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  // TypeProto.tensor_type { elem_type: FLOAT (1), shape }
  return bytes(1, [...int(1, 1), ...bytes(2, dims)]);
};
const valueInfo = (name: string, shape: readonly (number | string)[]): number[] => [
  ...str(1, name),
  ...bytes(2, tensorType(shape)),
];

/** The model's bytes; `size` fixes H×W, otherwise both are symbolic. */
export const channelMeanModel = (size: { width: number; height: number } | null = null): Uint8Array => {
  const h: number | string = size ? size.height : 'h';
  const w: number | string = size ? size.width : 'w';
  // AttributeProto: name, type (INTS = 7 / INT = 2), ints / i.
  const axes = [...str(1, 'axes'), ...int(8, 1), ...int(20, 7)];
  const keepdims = [...str(1, 'keepdims'), ...int(3, 1), ...int(20, 2)];
  const node = [
    ...str(1, 'x'),
    ...str(2, 'y'),
    ...str(4, 'ReduceMean'),
    ...bytes(5, axes),
    ...bytes(5, keepdims),
  ];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'channel-mean'),
    ...bytes(11, valueInfo('x', [1, 3, h, w])),
    ...bytes(12, valueInfo('y', [1, 1, h, w])),
  ];
  // ModelProto: ir_version 8, opset_import { domain "", version 13 }, graph.
  return Uint8Array.from([...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
};
