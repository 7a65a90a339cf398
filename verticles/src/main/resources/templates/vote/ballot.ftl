<#ftl output_format="HTML" encoding="UTF-8">
<#-- HTML output format: every ${...} is escaped, so labels from OPTION_A/OPTION_B cannot inject markup. -->
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/vote.css">
</head>
<body>
  <main id="content-container">
    <h1>${title}</h1>
<#if notice?has_content>
    <p class="notice" role="alert">${notice}</p>
</#if>
    <form id="choice" name="form" method="POST" action="/">
<#list options as option>
  <#if chosen == option.id>
      <button id="${option.id}" type="submit" name="vote" class="${option.id} chosen" value="${option.id}" disabled>${option.label} <span class="check" aria-label="your vote">&#10004;</span></button>
  <#elseif chosen?has_content>
      <button id="${option.id}" type="submit" name="vote" class="${option.id} dimmed" value="${option.id}">${option.label}</button>
  <#else>
      <button id="${option.id}" type="submit" name="vote" class="${option.id}" value="${option.id}">${option.label}</button>
  </#if>
</#list>
    </form>
    <p id="tip">(Tip: you can change your vote)</p>
    <p id="hostname">Processed by container ID ${hostname}</p>
  </main>
</body>
</html>
