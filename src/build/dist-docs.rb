# Build-time only (pom.xml runs it with exec-maven-plugin, in a JVM with drover's classes, picocli-codegen
# and asciidoctorj): drover's man pages and its bash/zsh completion, for the tar.gz and the .deb.
#   man pages: picocli's ManPageGenerator writes each (sub)command's page as AsciiDoc, Asciidoctor's
#              manpage backend turns it into roff, gzipped as Debian installs them (drover.1.gz, drover-run.1.gz, ...)
#   bash:      picocli's AutoComplete script, as is (bash-completion loads completions/drover on demand)
#   zsh:       the same script as an autoloaded completion function (_drover), run through zsh's bashcompinit
# Usage: dist-docs.rb OUTDIR
require 'java'
require 'asciidoctor'
require 'fileutils'
require 'stringio'
require 'zlib'

java_import 'picocli.CommandLine'
java_import 'picocli.AutoComplete'
java_import 'picocli.codegen.docgen.manpage.ManPageGenerator'

out = ARGV.fetch(0)
man_dir = File.join(out, 'man', 'man1')
FileUtils.rm_rf(out)
FileUtils.mkdir_p(man_dir)
FileUtils.mkdir_p(File.join(out, 'bash'))
FileUtils.mkdir_p(File.join(out, 'zsh'))

root = Java::DevDroverCli::Main.commandLine

def each_command(cl, &blk)
  blk.call(cl)
  seen = {}
  cl.getSubcommands.values.each do |sub|
    next if seen[sub.getCommandSpec.qualifiedName]   # aliases map to the same command
    seen[sub.getCommandSpec.qualifiedName] = true
    each_command(sub, &blk)
  end
end

pages = 0
each_command(root) do |cl|
  spec = cl.getCommandSpec
  sw = java.io.StringWriter.new
  pw = java.io.PrintWriter.new(sw)
  ManPageGenerator.writeSingleManPage(pw, spec)
  pw.flush
  roff = Asciidoctor.convert(sw.toString, backend: 'manpage', standalone: true, safe: :safe,
                             attributes: { 'reproducible' => '' })
  name = spec.qualifiedName('-')
  Zlib::GzipWriter.open(File.join(man_dir, "#{name}.1.gz"), Zlib::BEST_COMPRESSION) do |gz|
    gz.mtime = 1   # reproducible: no build time in the archive
    gz.write(roff)
  end
  pages += 1
end

bash = AutoComplete.bash('drover', root)
File.write(File.join(out, 'bash', 'drover'), bash)
File.write(File.join(out, 'zsh', '_drover'), <<~ZSH + bash + <<~TAIL)
  #compdef drover
  # zsh completion for drover: picocli's bash completion script (below, as generated), run by zsh's
  # bashcompinit. zsh autoloads this file as the function _drover on the first `drover <TAB>`: the script
  # registers its completer for later calls, and the last line completes this first call.
  autoload -U +X bashcompinit && bashcompinit
  # the script's `alias compopt=complete` (for zsh) cannot reach the functions of an autoloaded file,
  # which zsh parses in one piece; bash's compopt only tunes how matches are shown: a no-op here
  compopt() { return 0; }
ZSH

  _bash_complete -o default -F _complete_drover
TAIL
puts "dist-docs: #{pages} man pages, bash and zsh completion in #{out}"
