/**
 * Where the player's replays come from: the toolbar's list (every `.replay` under samples/ and
 * runs/, from the host's `replays.list`; a listed replay's bytes come from `replays.open`) and its
 * file input (any `.replay` on disk, read in the window). The list also shows which replay is open.
 */
import type { ApiResponse, SteerApi } from '../../shared/api/contract.js';
import { byId } from '../ui/dom.js';
import {
  LIST_TRUNCATED_TEXT,
  listPlaceholderText,
  NOT_CONNECTED_TEXT,
  readingStatus,
  replayOption,
  sourcePlaceholderText,
} from './statusText.js';

/** Where a replay came from, for the status line and the probe. */
export interface ReplaySource {
  /** API path or file name. */
  readonly label: string;
  readonly fileBytes: number;
  /** What the list shows for it when it is not a listed file; default "Local file: <label>". */
  readonly listText?: string;
}

/** What the toolbar asks the player to open. */
export interface LibraryActions {
  /** A replay was picked from the list (`pickedAt`: when [performance.now() ms]). */
  openPath(path: string, pickedAt: number): void;
  /** A local file was read. */
  openBytes(bytes: Uint8Array, source: ReplaySource, pickedAt: number): void;
  /** Shows `text` in the status line. */
  status(text: string): void;
}

/** The replay list and file input bound to the page's elements. */
export class ReplayLibrary {
  private readonly list: HTMLSelectElement;
  private readonly file: HTMLInputElement;
  private api: SteerApi | null = null;
  /** The replay shown (showSource), so a refreshed list still selects it. */
  private shown: ReplaySource | null = null;
  /** Counts picks, so a pick answered after a later one (or a live run) is dropped. */
  private latestPick = 0;

  constructor(doc: Document, actions: LibraryActions) {
    this.list = byId(doc, 'replay-list', HTMLSelectElement);
    this.file = byId(doc, 'replay-file', HTMLInputElement);
    const { list, file } = this;
    list.addEventListener('change', (event) => {
      const pickedAt = Math.min(event.timeStamp, performance.now());
      if (list.value !== '') actions.openPath(list.value, pickedAt);
    });
    file.addEventListener('change', async (event) => {
      const pickedAt = Math.min(event.timeStamp, performance.now());
      const chosen = file.files?.[0];
      if (chosen === undefined) return;
      actions.status(readingStatus(chosen.name));
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      actions.openBytes(bytes, { label: chosen.name, fileBytes: chosen.size }, pickedAt);
      file.value = ''; // picking the same file again opens it again
    });
  }

  /** Whether the host's API is connected. */
  get connected(): boolean {
    return this.api !== null;
  }

  /** Uses `api` from now on; resolves with what the host says about itself. */
  async connect(api: SteerApi): Promise<ApiResponse<'app.info'>> {
    this.api = api;
    return api.call('app.info', {});
  }

  /** The API is unreachable (refused token, host gone): the list says so; local files still open. */
  showDisconnected(): void {
    this.list.replaceChildren(new Option(NOT_CONNECTED_TEXT, ''));
    this.list.disabled = true;
  }

  /** Re-reads the replay list from the host (nothing before `connect`). */
  async refresh(): Promise<void> {
    if (this.api === null) return;
    const { replays, truncated } = await this.api.call('replays.list', {});
    const { list } = this;
    const options = [new Option(listPlaceholderText(replays.length), '')];
    for (const entry of replays) {
      const { text, value, disabled, title } = replayOption(entry);
      const option = new Option(text, value);
      option.disabled = disabled;
      if (title !== undefined) option.title = title;
      options.push(option);
    }
    if (truncated) options.push(new Option(LIST_TRUNCATED_TEXT, '', false, false));
    list.replaceChildren(...options);
    list.disabled = false;
    if (this.shown !== null) list.value = this.shown.label;
  }

  /** Starts a pick of a listed replay; a later pick or `supersede` makes it stale. */
  pick(): number {
    return ++this.latestPick;
  }

  /** Whether pick `serial` is still the latest. */
  isLatest(serial: number): boolean {
    return serial === this.latestPick;
  }

  /** Something else is shown from now on (a live run): a pick still loading is dropped. */
  supersede(): void {
    this.latestPick++;
  }

  /** The listed replay at `path`: its bytes from the host (throws ApiError). */
  async open(path: string): Promise<ApiResponse<'replays.open'>> {
    if (this.api === null) throw new Error('openPath: not connected to a host');
    return this.api.call('replays.open', { path });
  }

  /** The list shows the open replay: its entry, or "Local file: name" in the first option. */
  showSource(source: ReplaySource): void {
    this.shown = source;
    const { list } = this;
    const placeholder = list.options[0];
    const listed = Array.from(list.options).some(
      (option) => option.value === source.label && option.value !== '',
    );
    if (placeholder !== undefined && placeholder.value === '' && !list.disabled) {
      placeholder.textContent = sourcePlaceholderText(source, listed);
    }
    list.value = listed ? source.label : '';
  }
}
