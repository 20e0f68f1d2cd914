<?php
// Never calls the extension: prints the memory of this process at the end
// of the script (run with and without the extension loaded), in kB:
// VmRSS VmHWM RssAnon RssFile. RssFile is the file-backed part (pages of
// the binaries, shared with every other process mapping them); RssAnon is
// private to this process.
$status = file_get_contents('/proc/self/status');
$out = [];
foreach (['VmRSS', 'VmHWM', 'RssAnon', 'RssFile'] as $field) {
    preg_match("/^$field:\\s+(\\d+)/m", $status, $m);
    $out[] = $m[1];
}
echo implode("\t", $out), "\n";
