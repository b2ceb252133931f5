// What TF.js saves of a model, as its save handler receives it: the tests load these artifacts.
import * as tf from '@tensorflow/tfjs';

/** The model's artifacts from TF.js' save (topology, weight specs and data). */
export async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}
