// What the transformers of tabular data share (SimpleImputer, OrdinalEncoder, OneHotEncoder): fit
// reads any tabular input (tabular/table.ts) and remembers its columns' names (featureNamesIn,
// scikit-learn's feature_names_in_) or count; transform checks the columns against them; names of
// the outputs (getFeatureNamesOut) follow scikit-learn's. The outputs are rows of numbers — or of
// strings where a column stays strings (an imputed string column).
import { ValueError, describe } from '../errors.js';
import { Estimator, type ParamTable } from '../estimator.js';
import { checkColumns, namesOf, readTable, type Table } from '../tabular/table.js';

/** What every fitted transformer of tabular data keeps besides its own state: how many columns fit saw (their names are the estimator base's). */
export interface ColumnsSeen {
  features: number;
}

export abstract class TabularTransformer<P extends object, S extends ColumnsSeen> extends Estimator<P, S> {
  protected constructor(table: ParamTable<P>, options: P | undefined, where: string) {
    super(table, options, where);
  }

  /** Learns from the table; returns the state (features filled in by fit). */
  protected abstract learn(table: Table, where: string): Omit<S, keyof ColumnsSeen>;
  /** Transforms a table whose columns fit saw. */
  protected abstract apply(state: S, table: Table, where: string): (number | string)[][];
  /** The output columns' names for the input names. */
  protected abstract namesOut(state: S, names: readonly string[]): string[];

  /** Learns from X (a matrix, row objects, column objects or an Arrow table; gaps allowed). */
  async fit(X: unknown): Promise<this> {
    const where = `${this.estimatorName}.fit: X`;
    const table = readTable(X, where);
    const learnt = this.learn(table, where);
    this.rememberNames(namesOf(table));
    this.setFitted({ ...learnt, features: table.columns.length } as S);
    return this;
  }

  transform(X: unknown): (number | string)[][] {
    const where = `${this.estimatorName}.transform: X`;
    const state = this.fitted(`${this.estimatorName}.transform`);
    const table = readTable(X, where);
    checkColumns(table, this.fittedNames(), state.features, where);
    return this.apply(state, table, where);
  }

  async fitTransform(X: unknown): Promise<(number | string)[][]> {
    await this.fit(X);
    return this.transform(X);
  }

  get nFeaturesIn(): number {
    return this.fitted('nFeaturesIn').features;
  }

  /**
   * The output columns' names (scikit-learn's get_feature_names_out): from the input names fit
   * saw, or `inputFeatures` (as many as fit's columns), or x0, x1, ….
   */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const state = this.fitted(`${this.estimatorName}.getFeatureNamesOut`);
    const fitNames = this.fittedNames();
    let names = fitNames ?? Array.from({ length: state.features }, (_, i) => `x${i}`);
    if (inputFeatures !== undefined) {
      if (!Array.isArray(inputFeatures) || inputFeatures.length !== state.features || !inputFeatures.every((n) => typeof n === 'string')) {
        throw new ValueError(`${this.estimatorName}.getFeatureNamesOut: inputFeatures must be ${state.features} strings; received ${describe(inputFeatures)}`);
      }
      if (fitNames && inputFeatures.join('\u0000') !== fitNames.join('\u0000')) {
        throw new ValueError(`${this.estimatorName}.getFeatureNamesOut: inputFeatures differ from the names fit saw (${fitNames.join(', ')})`);
      }
      names = [...inputFeatures];
    }
    return this.namesOut(state, names);
  }

  /** The column count for saving (the names travel with every estimator's bytes). */
  protected seenMeta(state: S): Record<string, unknown> {
    return { features: state.features };
  }

  /** The column count read back (FormatError via `bad` when malformed). */
  protected static seenFrom(meta: Record<string, unknown>, bad: () => never): ColumnsSeen {
    if (!Number.isInteger(meta.features) || (meta.features as number) < 1) bad();
    return { features: meta.features as number };
  }
}
