'use strict';
// Auto-pagination shaped like stripe-node's (its autoPagination.js): `list()` returns a Promise
// of the first page that is also an async iterator over every object, with `autoPagingEach`
// and `autoPagingToArray`. The walk itself (cursors, direction, when to stop) is the core's
// pager (ListPages): it is seeded with the page `list()` already fetched (`_startFrom`), so no
// page is fetched twice, and each next page is fetched only when the walk needs it.

const MAX_TO_ARRAY = 10000;

/**
 * The walk over the objects of `pager` (a native ...ListAutoPaging, made on first use by
 * `open()`); `next()` as an async iterator's, with stripe-node's guard: calls made while one is
 * pending get the same promise, so pages cannot be turned twice.
 */
function walker(open) {
  let pager = null;
  let items = [];
  let index = 0;
  let done = false;
  let pending = null;
  async function step() {
    for (;;) {
      if (index < items.length) return { value: items[index++], done: false };
      if (done) return { value: undefined, done: true };
      if (pager === null) pager = await open();
      const page = await pager.nextPage();
      if (page === null) {
        done = true;
        pager = null;
      } else {
        items = page.data;
        index = 0;
      }
    }
  }
  return {
    next() {
      if (pending === null) {
        pending = step().finally(() => {
          pending = null;
        });
      }
      return pending;
    },
    // `break` out of `for await`: the walk ends, and its pager is let go.
    return() {
      done = true;
      items = [];
      pager = null;
      return Promise.resolve({ value: undefined, done: true });
    },
  };
}

/** `autoPagingEach(onItem, onDone?)` over `next`, as stripe-node has it. */
function makeEach(next) {
  return function autoPagingEach(onItem, onDone) {
    if (arguments.length > 2) {
      throw new TypeError(`autoPagingEach takes up to two arguments; received ${arguments.length}`);
    }
    if (typeof onItem !== 'function') {
      throw new TypeError(
        `The first argument to autoPagingEach, if present, must be a callback function; received ${typeof onItem}`,
      );
    }
    if (onItem.length > 2) {
      throw new TypeError(
        `The \`onItem\` callback function passed to autoPagingEach must accept at most two arguments; got ${onItem}`,
      );
    }
    if (onDone !== undefined && typeof onDone !== 'function') {
      throw new TypeError(
        `The second argument to autoPagingEach, if present, must be a callback function; received ${typeof onDone}`,
      );
    }
    // `(item, next) => next(false)` stops by callback; `(item) => false` (or a Promise of it) by value.
    const call = onItem.length === 2 ? (item) => new Promise((resolve) => onItem(item, resolve)) : onItem;
    const promise = (async () => {
      for (let r = await next(); !r.done; r = await next()) {
        if ((await call(r.value)) === false) return;
      }
    })();
    if (onDone)
      promise.then(
        () => onDone(),
        (err) => onDone(err),
      );
    return promise;
  };
}

/** `autoPagingToArray({ limit }, onDone?)`: `limit` is required and at most 10000, as in stripe-node. */
function makeToArray(each) {
  return function autoPagingToArray(opts, onDone) {
    const limit = opts && opts.limit;
    if (!limit) {
      throw new TypeError(
        'You must pass a `limit` option to autoPagingToArray, e.g., `autoPagingToArray({limit: 1000});`.',
      );
    }
    if (typeof limit !== 'number') {
      throw new TypeError(`limit must be a number, got ${typeof limit}`);
    }
    if (limit > MAX_TO_ARRAY) {
      throw new RangeError(
        'You cannot specify a limit of more than 10,000 items to fetch in `autoPagingToArray`; use `autoPagingEach` to iterate through longer lists.',
      );
    }
    const items = [];
    const promise = each((item) => {
      items.push(item);
      return items.length < limit;
    }).then(() => items);
    if (onDone)
      promise.then(
        (all) => onDone(null, all),
        (err) => onDone(err),
      );
    return promise;
  };
}

/** Gives `target` the async iterator and the two auto-paging methods, walking with `next`. */
function addAutoPaging(target, walk) {
  const autoPagingEach = makeEach(walk.next);
  target.autoPagingEach = autoPagingEach;
  target.autoPagingToArray = makeToArray(autoPagingEach);
  target.next = walk.next;
  target.return = walk.return;
  target[Symbol.asyncIterator] = function iterator() {
    return this;
  };
  return target;
}

/**
 * `list` of a native service class, made to return stripe-node's ApiListPromise: the first
 * page's Promise, which also walks every object from that page on (`listAutoPaging` gives the
 * core's pager, seeded with the page in hand).
 */
function autoPagingList(list) {
  return function listWithAutoPaging(params, opts) {
    const first = list.call(this, params, opts);
    const open = async () => {
      const page = await first;
      const pager = this.listAutoPaging(params, opts);
      pager._startFrom(JSON.stringify(page));
      return pager;
    };
    return addAutoPaging(first, walker(open));
  };
}

/**
 * `autoPagingEach` and `autoPagingToArray` on a pager class (`listAutoPaging()`'s answer),
 * so the older form has the same methods as `list()`.
 */
function addPagerMethods(proto) {
  Object.defineProperty(proto, 'autoPagingEach', {
    configurable: true,
    value: function autoPagingEach(...args) {
      return makeEach(walker(async () => this).next)(...args);
    },
  });
  Object.defineProperty(proto, 'autoPagingToArray', {
    configurable: true,
    value: function autoPagingToArray(opts, onDone) {
      return makeToArray(makeEach(walker(async () => this).next))(opts, onDone);
    },
  });
}

module.exports = { autoPagingList, addPagerMethods, walker };
