/**
 * A FIFO of waiters with O(1) push, shift and removal from the middle (a waiter that
 * aborts or times out leaves wherever it stands). A Set would do the same in theory, but
 * shifting its first element leaves holes that later iterations skip one by one: O(n^2)
 * for a long queue on one hot key.
 */
export interface WaitNode {
  grant(): void;
  previous: WaitNode | undefined;
  next: WaitNode | undefined;
  queued: boolean;
}

export class WaitQueue {
  #head: WaitNode | undefined;
  #tail: WaitNode | undefined;

  get isEmpty(): boolean {
    return this.#head === undefined;
  }

  push(node: WaitNode): void {
    node.previous = this.#tail;
    node.next = undefined;
    node.queued = true;
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
  }

  shift(): WaitNode | undefined {
    const node = this.#head;
    if (node) this.remove(node);
    return node;
  }

  remove(node: WaitNode): void {
    if (!node.queued) return;
    if (node.previous) node.previous.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.previous = node.previous;
    else this.#tail = node.previous;
    node.previous = undefined;
    node.next = undefined;
    node.queued = false;
  }
}
