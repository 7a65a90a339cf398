// Keeps the results page live: each WebSocket message is the whole tally,
// {"options":[{"id":"a","label":"Cats","votes":3},...],"total":4}. Reconnects with backoff.
(function () {
  'use strict';

  var MIN_DELAY_MS = 500;
  var MAX_DELAY_MS = 10000;
  var delay = MIN_DELAY_MS;

  // Same rounding as the server, so a push never changes a figure that did not change.
  function percent(votes, total) {
    var tenths = total === 0 ? 0 : Math.round(votes * 1000 / total);
    return (tenths / 10).toFixed(1);
  }

  function votesText(total) {
    return total === 0 ? 'No votes yet' : total === 1 ? '1 vote' : total + ' votes';
  }

  function render(tally) {
    tally.options.forEach(function (option) {
      var share = percent(option.votes, tally.total);
      var percentNode = document.getElementById('percent-' + option.id);
      var bar = document.getElementById('bar-' + option.id);
      var count = document.getElementById('count-' + option.id);
      if (percentNode) { percentNode.textContent = share + '%'; }
      if (bar) { bar.value = Number(share); bar.textContent = share + '%'; }
      if (count) { count.textContent = String(option.votes); }
    });
    document.getElementById('total').textContent = votesText(tally.total);
  }

  function showConnected(connected) {
    document.getElementById('status').hidden = connected;
    document.body.classList.toggle('disconnected', !connected);
  }

  function connect() {
    var scheme = window.location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + window.location.host + '/ws');
    socket.onopen = function () {
      delay = MIN_DELAY_MS;
      showConnected(true);
    };
    socket.onmessage = function (event) {
      render(JSON.parse(event.data));
    };
    socket.onclose = function () {
      showConnected(false);
      var wait = delay + Math.floor(Math.random() * delay / 2);
      delay = Math.min(MAX_DELAY_MS, delay * 2);
      window.setTimeout(connect, wait);
    };
  }

  connect();
})();
