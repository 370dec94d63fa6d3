// The report's only script, inlined: a click (or Enter) on anything that
// carries evidence opens it in a panel. The page reads fine without it;
// hovering a path also shows its evidence as a tooltip.
export const SCRIPT = `
(function () {
  var panel = document.getElementById('evidence');
  var title = panel.querySelector('h3');
  var verdict = panel.querySelector('.ev-verdict');
  var reason = panel.querySelector('.ev-reason');
  var kernel = panel.querySelector('.ev-kernel');
  var body = panel.querySelector('pre');
  var selected = null;
  function show(el) {
    var d;
    try { d = JSON.parse(el.getAttribute('data-evidence')); } catch (e) { return; }
    if (selected) selected.classList.remove('selected');
    selected = el;
    el.classList.add('selected');
    title.textContent = d.check + (el.getAttribute('data-via') ? ' (via ' + el.getAttribute('data-via') + ')' : '');
    verdict.textContent = 'measured ' + d.measured + ', expected ' + (d.expected === null ? '- (measured only)' : d.expected) + (d.expected === null || d.measured === d.expected ? '' : ' (differs)');
    verdict.className = 'ev-verdict ' + (d.measured === 'pass' ? 'm-pass' : 'm-fail');
    reason.textContent = 'why expected: ' + d.reason;
    // The kernel's account: the route and the rules that decided this path.
    kernel.textContent = (d.kernel || []).join('\\n');
    kernel.hidden = !(d.kernel && d.kernel.length);
    body.textContent = JSON.stringify(d.evidence, null, 2);
    panel.hidden = false;
  }
  document.addEventListener('click', function (e) {
    var el = e.target.closest && e.target.closest('[data-evidence]');
    if (el) show(el);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') hide();
    if (e.key === 'Enter' && document.activeElement && document.activeElement.hasAttribute('data-evidence')) show(document.activeElement);
  });
  function hide() {
    panel.hidden = true;
    if (selected) selected.classList.remove('selected');
    selected = null;
  }
  panel.querySelector('button').addEventListener('click', hide);
})();
`;
