/** What fit returns: the logged values per epoch, as Keras' History (history.history.loss[epoch]). */
export class History {
  /** The epochs run (0-based). */
  readonly epoch: number[] = [];
  /** loss, metrics and their val_ twins, one value per epoch. */
  readonly history: Record<string, number[]> = {};
  /** fit's settings: epochs, steps per epoch, samples, batch size. */
  readonly params: Record<string, number>;

  constructor(params: Record<string, number>) {
    this.params = params;
  }

  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
