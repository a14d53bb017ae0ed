/**
 * A scrolling element with layout, which jsdom lacks: it clamps scrollTop as a browser does, and the test
 * sets its heights.
 */
export class FakeScroller {
  private top = 0

  constructor(
    public clientHeight: number,
    public scrollHeight: number,
  ) {}

  get scrollTop(): number {
    return this.top
  }

  set scrollTop(value: number) {
    this.top = Math.max(0, Math.min(value, this.scrollHeight - this.clientHeight))
  }

  get bottom(): number {
    return this.scrollHeight - this.clientHeight
  }

  asElement(): HTMLElement {
    return this as unknown as HTMLElement
  }
}
