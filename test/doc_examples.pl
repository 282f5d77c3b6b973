#!/usr/bin/perl
# Runs the examples of docs/*.md so that the docs cannot rot.
#
# An example is a ```sql block immediately followed by a ```text block holding what psql prints
# for it (psql -X -q -P footer=off, aligned). Every example runs in a transaction that is rolled
# back, against the database in the PG* environment (the shipped data loaded).
#   test/doc_examples.pl docs/*.md            prints TAP, fails on any difference
#   test/doc_examples.pl --update docs/*.md   rewrites the text blocks with the real output
use strict;
use warnings;
use File::Temp qw(tempfile);

my $update = 0;
if (@ARGV && $ARGV[0] eq '--update') { $update = 1; shift @ARGV; }

my @examples;    # [file, index of sql start line, sql, expected, text block start, end]
my %lines;
for my $file (@ARGV) {
    open my $fh, '<:raw', $file or die "$file: $!";
    my @l = <$fh>;
    close $fh;
    $lines{$file} = \@l;
    for (my $i = 0; $i < @l; $i++) {
        next unless $l[$i] =~ /^```sql\s*$/;
        my $j = $i + 1;
        $j++ while $j < @l && $l[$j] !~ /^```\s*$/;
        my $sql = join '', @l[$i + 1 .. $j - 1];
        my $k = $j + 1;
        $k++ while $k < @l && $l[$k] =~ /^\s*$/;
        next unless $k < @l && $l[$k] =~ /^```text\s*$/;
        my $m = $k + 1;
        $m++ while $m < @l && $l[$m] !~ /^```\s*$/;
        push @examples, [$file, $i + 1, $sql, join('', @l[$k + 1 .. $m - 1]), $k, $m];
        $i = $m;
    }
}

sub run_sql {
    my ($sql) = @_;
    my ($fh, $name) = tempfile(UNLINK => 1);
    binmode $fh, ':raw';
    print $fh "\\set ON_ERROR_STOP on\nBEGIN;\n$sql\nROLLBACK;\n";
    close $fh;
    my $out = `psql -X -q -P footer=off -v VERBOSITY=terse -f $name 2>&1`;
    $out =~ s/^psql:\S+:\d+: //mg;    # error lines without the temp file's name
    return $out;
}

print "1.." . scalar(@examples) . "\n" unless $update;
my $failed = 0;
my $n = 0;
my %patch;
for my $ex (@examples) {
    my ($file, $line, $sql, $expected, $k, $m) = @$ex;
    $n++;
    my $got = run_sql($sql);
    if ($update) {
        push @{ $patch{$file} }, [$k, $m, $got];
        next;
    }
    if ($got eq $expected) {
        print "ok $n - $file:$line\n";
    } else {
        $failed++;
        print "not ok $n - $file:$line\n";
        print map { "# expected: $_\n" } split /\n/, $expected;
        print map { "#      got: $_\n" } split /\n/, $got;
    }
}

if ($update) {
    for my $file (keys %patch) {
        my @l = @{ $lines{$file} };
        for my $p (sort { $b->[0] <=> $a->[0] } @{ $patch{$file} }) {
            my ($k, $m, $got) = @$p;
            splice @l, $k + 1, $m - $k - 1, $got;
        }
        open my $fh, '>:raw', $file or die "$file: $!";
        print $fh @l;
        close $fh;
        print "updated $file\n";
    }
}
exit($failed ? 1 : 0);
