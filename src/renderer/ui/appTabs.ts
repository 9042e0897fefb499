/**
 * The app's tab bar (Player | Editor | …): one button per registered view, one view shown at a
 * time. A view is any element; hidden views keep their state (the player keeps its replay, the
 * editor its scenario). `?tab=<name>` in the page URL picks the first view shown.
 */

/** A registered view. */
interface AppView {
  readonly name: string;
  readonly element: HTMLElement;
  readonly button: HTMLButtonElement;
  readonly onShow?: () => void;
}

/** The tab bar at the top of the page. */
export class AppTabs {
  /** The bar element (first child of the body). */
  readonly bar: HTMLElement;
  private readonly views: AppView[] = [];
  private readonly list: HTMLElement;
  private shown: string | null = null;

  constructor(private readonly doc: Document) {
    this.bar = doc.createElement('nav');
    this.bar.className = 'app-tabs';
    this.bar.setAttribute('aria-label', 'Views');
    const brand = doc.createElement('span');
    brand.className = 'brand';
    brand.textContent = 'STEER Studio';
    this.list = doc.createElement('div');
    this.list.className = 'tab-list';
    this.list.setAttribute('role', 'tablist');
    this.bar.append(brand, this.list);
    doc.body.prepend(this.bar);
  }

  /**
   * Adds a view under `name` (the tab's label). The first view registered is shown; the others
   * are hidden until their tab is clicked. `onShow` runs each time the view is shown.
   */
  registerView(name: string, element: HTMLElement, onShow?: () => void): void {
    if (this.views.some((view) => view.name === name)) throw new Error(`AppTabs: a view "${name}" exists`);
    const button = this.doc.createElement('button');
    button.type = 'button';
    button.className = 'tab';
    button.textContent = name;
    button.dataset.tab = name;
    button.setAttribute('role', 'tab');
    button.addEventListener('click', () => this.show(name));
    this.list.append(button);
    element.classList.add('app-view');
    element.setAttribute('role', 'tabpanel');
    this.views.push({ name, element, button, ...(onShow === undefined ? {} : { onShow }) });
    if (this.shown === null) this.show(name);
    else this.apply();
  }

  /** Shows the view called `name` (case-insensitive); unknown names are ignored. */
  show(name: string): void {
    const view = this.views.find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (view === undefined) return;
    this.shown = view.name;
    this.apply();
    view.onShow?.();
  }

  /** Name of the view shown. */
  get current(): string | null {
    return this.shown;
  }

  private apply(): void {
    for (const view of this.views) {
      const on = view.name === this.shown;
      view.element.hidden = !on;
      view.button.setAttribute('aria-selected', String(on));
      view.button.tabIndex = on ? 0 : -1;
    }
  }
}
