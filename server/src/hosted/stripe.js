// identity-mock's stand-in for Stripe.js, for development only: load it instead of
// https://js.stripe.com/v3/ and `stripe.verifyIdentity(clientSecret)` opens identity-mock's
// hosted page. Unlike Stripe.js it opens no modal: the browser goes to the page, and comes back
// by the session's return_url (or stays on the outcome), so the Promise it returns never settles.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : '';
  window.Stripe = function () {
    return {
      verifyIdentity: function (clientSecret) {
        window.location.assign(base + '/verify-identity/' + encodeURIComponent(String(clientSecret)));
        return new Promise(function () {});
      },
    };
  };
})();
