// Weights quantized as tensorflowjs_converter writes them (--quantize_uint8 / _uint16 / _float16),
// for tests that load such files here and in TF.js.
import type * as tf from '@tensorflow/tfjs';

/** IEEE half of a float (round to nearest even), as the converter writes float16. */
function floatToHalf(value: number): number {
  const f = new Float32Array([value]), u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000, exponent = ((u >>> 23) & 0xff) - 127 + 15, mantissa = u & 0x7fffff;
  if (exponent <= 0) return sign | Math.round((mantissa | 0x800000) / 2 ** (14 - exponent));
  const rounded = (exponent << 10) + (mantissa >>> 13) + (((mantissa & 0x1fff) > 0x1000 || ((mantissa & 0x1fff) === 0x1000 && (mantissa >>> 13) & 1)) ? 1 : 0);
  return sign | rounded;
}

/** The artifacts with every weight quantized as tensorflowjs_converter does (q = round((w − min) / scale)). */
export function quantized(a: tf.io.ModelArtifacts, dtype: 'uint8' | 'uint16' | 'float16'): tf.io.ModelArtifacts {
  const floats = new Float32Array(a.weightData as ArrayBuffer);
  const parts: Uint8Array[] = [];
  let offset = 0;
  const specs = a.weightSpecs!.map((spec) => {
    const n = spec.shape.reduce((p, q) => p * q, 1);
    const w = floats.subarray(offset, offset + n);
    offset += n;
    if (dtype === 'float16') {
      parts.push(new Uint8Array(Uint16Array.from(w, floatToHalf).buffer));
      return { ...spec, quantization: { dtype } };
    }
    let min = Infinity, max = -Infinity;
    for (const v of w) { min = Math.min(min, v); max = Math.max(max, v); }
    const levels = dtype === 'uint8' ? 255 : 65535;
    const scale = max > min ? (max - min) / levels : 1;
    const q = Array.from(w, (v) => Math.round((v - min) / scale));
    parts.push(dtype === 'uint8' ? Uint8Array.from(q) : new Uint8Array(Uint16Array.from(q).buffer));
    return { ...spec, quantization: { dtype, min, scale } };
  });
  const data = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { data.set(p, o); o += p.length; }
  return { ...a, weightSpecs: specs as tf.io.WeightsManifestEntry[], weightData: data.buffer };
}
