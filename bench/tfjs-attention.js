// TF.js has no multi-head attention layer (tfjs issue 8574): the benchmark's transformer uses this
// custom layer, written as a TF.js user would, from tf ops (its gradient by TF.js' autodiff). The
// same maths as Keras' MultiHeadAttention (self-attention, biases, 1/√keyDim scaling).

/** A TF.js layer class: multi-head self-attention over [batch, steps, features], applied to [x, x]. */
export function tfjsMultiHeadAttention(tf) {
  class MultiHeadAttention extends tf.layers.Layer {
    static className = 'BenchMultiHeadAttention';

    constructor({ numHeads, keyDim }) {
      super({});
      this.numHeads = numHeads;
      this.keyDim = keyDim;
    }

    build(inputShape) {
      const d = inputShape[0][2], width = this.numHeads * this.keyDim;
      const glorot = () => tf.initializers.glorotUniform({});
      const zeros = () => tf.initializers.zeros();
      this.projections = ['query', 'key', 'value'].map((name) => [this.addWeight(`${name}/kernel`, [d, width], 'float32', glorot()), this.addWeight(`${name}/bias`, [width], 'float32', zeros())]);
      this.outputProjection = [this.addWeight('output/kernel', [width, d], 'float32', glorot()), this.addWeight('output/bias', [d], 'float32', zeros())];
      this.built = true;
    }

    computeOutputShape(inputShape) {
      return inputShape[0];
    }

    call(inputs) {
      return tf.tidy(() => {
        const [query, value] = inputs;
        const [batch, steps, d] = query.shape, H = this.numHeads, kd = this.keyDim;
        const heads = (x, [kernel, bias]) => tf.add(tf.matMul(tf.reshape(x, [-1, x.shape[2]]), kernel.read()), bias.read()).reshape([batch, -1, H, kd]).transpose([0, 2, 1, 3]);
        const q = heads(query, this.projections[0]), k = heads(value, this.projections[1]), v = heads(value, this.projections[2]);
        const weights = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(kd)));
        const o = tf.matMul(weights, v).transpose([0, 2, 1, 3]).reshape([batch * steps, H * kd]);
        return tf.add(tf.matMul(o, this.outputProjection[0].read()), this.outputProjection[1].read()).reshape([batch, steps, d]);
      });
    }
  }
  return MultiHeadAttention;
}
