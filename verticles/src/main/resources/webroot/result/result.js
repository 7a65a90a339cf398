// Keeps the results page live: each WebSocket message is the whole tally with its status,
// {"options":[{"id":"a","label":"Cats","votes":3},...],"total":4,"asOf":"...Z","current":true,"reason":null,"waiting":0}.
// While "current" is false the page says so in words, with the time the figures were read.
// When the connection drops (a deploy, a restart) it reconnects after a jittered, growing delay, so a
// thousand open pages do not all come back at the same instant; the "Disconnected" notice shows only
// when the results have not been live again for a while, never to a reader who just waits.
(function () {
  'use strict';

  var MIN_DELAY_MS = 500;
  var MAX_DELAY_MS = 10000;
  var NOTICE_AFTER_MS = 5000;
  // A screen reader hears the tally at most this often, however fast the votes come.
  var ANNOUNCE_EVERY_MS = 5000;
  var lastAnnouncedAt = 0;
  var announceTimer = null;
  var latest = null;
  var delay = MIN_DELAY_MS;
  var noticeTimer = null;

  // Same rounding as the server, so a push never changes a figure that did not change.
  function percent(votes, total) {
    var tenths = total === 0 ? 0 : Math.round(votes * 1000 / total);
    return (tenths / 10).toFixed(1);
  }

  function votesText(total) {
    return total === 0 ? 'No votes yet' : total === 1 ? '1 vote' : total + ' votes';
  }

  function twoDigits(n) {
    return (n < 10 ? '0' : '') + n;
  }

  // "10:04:55", in the viewer's own time zone.
  function clock(iso) {
    var time = new Date(iso);
    return twoDigits(time.getHours()) + ':' + twoDigits(time.getMinutes()) + ':' + twoDigits(time.getSeconds());
  }

  // What follows "delayed: ", the same words as the server renders (Freshness.Status.delayWords).
  function delayWords(message) {
    if (message.reason === 'votes_waiting' && typeof message.waiting === 'number') {
      return (message.waiting === 1 ? '1 vote' : message.waiting + ' votes') + ' still being counted';
    }
    return 'the results cannot be refreshed at the moment';
  }

  // A message without "current" (a service older than this page) counts as current.
  function delayed(message) {
    return message.current === false;
  }

  function showFreshness(message) {
    var late = delayed(message);
    if (late) {
      var time = document.getElementById('as-of');
      time.setAttribute('datetime', message.asOf);
      time.textContent = clock(message.asOf);
      document.getElementById('delay').textContent = delayWords(message);
    }
    document.getElementById('freshness').hidden = !late;
    document.body.classList.toggle('delayed', late);
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
    showFreshness(tally);
    latest = tally;
    announceSoon();
  }

  // "Cats 55.0%, Dogs 45.0%, 20 votes", then while delayed ". Updated 10:04:55, delayed: 1 vote still being
  // counted": the same words as the server renders into #live-summary.
  function summary(tally) {
    return tally.options.map(function (option) {
      return option.label + ' ' + percent(option.votes, tally.total) + '%, ';
    }).join('') + votesText(tally.total)
      + (delayed(tally) ? '. Updated ' + clock(tally.asOf) + ', delayed: ' + delayWords(tally) : '');
  }

  function announce() {
    announceTimer = null;
    lastAnnouncedAt = Date.now();
    var region = document.getElementById('live-summary');
    var text = summary(latest);
    if (region && region.textContent !== text) {
      region.textContent = text;
    }
  }

  function announceSoon() {
    if (announceTimer !== null) {
      return; // the pending announcement will read the latest tally
    }
    var wait = lastAnnouncedAt + ANNOUNCE_EVERY_MS - Date.now();
    if (wait <= 0) {
      announce();
    } else {
      announceTimer = window.setTimeout(announce, wait);
    }
  }

  function showDisconnected(disconnected) {
    document.getElementById('status').hidden = !disconnected;
    document.body.classList.toggle('disconnected', disconnected);
  }

  function connected() {
    delay = MIN_DELAY_MS;
    window.clearTimeout(noticeTimer);
    noticeTimer = null;
    showDisconnected(false);
  }

  function lost() {
    if (noticeTimer === null) {
      noticeTimer = window.setTimeout(function () { showDisconnected(true); }, NOTICE_AFTER_MS);
    }
    // Half the delay for sure, the other half at random.
    var wait = delay / 2 + Math.floor(Math.random() * delay / 2);
    delay = Math.min(MAX_DELAY_MS, delay * 2);
    window.setTimeout(connect, wait);
  }

  function connect() {
    var scheme = window.location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + window.location.host + '/ws');
    socket.onopen = connected;
    socket.onmessage = function (event) {
      render(JSON.parse(event.data));
    };
    socket.onclose = lost;
  }

  connect();
})();
