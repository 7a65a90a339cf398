<#ftl output_format="HTML" encoding="UTF-8">
<#-- Rendered with the current tally, so it reads right with JavaScript off; result.js keeps it live. -->
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} Results</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/result.css">
  <script src="/static/result.js" defer></script>
</head>
<body<#if !current> class="delayed"</#if>>
  <main id="results">
    <h1>${title}</h1>
    <#-- Shown only while the figures are not current; not a live region itself: #live-summary says it. -->
    <p id="freshness" class="freshness"<#if current> hidden</#if>>Updated <time id="as-of" datetime="${asOf}">${asOfClock}</time>, delayed: <span id="delay">${delay}</span></p>
    <div id="options">
<#list options as option>
      <section class="option ${option.id}" id="option-${option.id}" data-option="${option.id}">
        <h2 class="label">${option.label}</h2>
        <p class="percent" id="percent-${option.id}">${option.percent}%</p>
        <progress class="bar" id="bar-${option.id}" max="100" value="${option.percent}">${option.percent}%</progress>
        <p class="count" id="count-${option.id}">${option.votes}</p>
      </section>
</#list>
    </div>
    <p id="total">${total}</p>
    <#-- What a screen reader announces when the tally changes; result.js updates it at most every few seconds. -->
    <p id="live-summary" class="visually-hidden" aria-live="polite"><#list options as option>${option.label} ${option.percent}%, </#list>${total}<#if !current>. Updated ${asOfClock}, delayed: ${delay}</#if></p>
    <p id="status" class="status" role="status" hidden>Disconnected: the results are not live. Reconnecting…</p>
  </main>
</body>
</html>
