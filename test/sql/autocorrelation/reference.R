# How the reference numbers in columbus.pg were computed (not run by make check):
#   apt-get install r-cran-spdep; Rscript test/sql/autocorrelation/reference.R
# spdep 1.2-7 (Debian bookworm) on spData 2.2.1. The Moran test of CRIME agrees with the values
# Roger Bivand published (ECTQG 2019 workshop, github.com/rsbivand/ectqg19-workshop,
# sources/s4b_py.md): I = 0.500188557, E = -0.020833333, Var = 0.008689289, z = 5.5894, and
# PySAL esda's I = 0.5001885571828611.
suppressMessages({library(spdep); library(sf)})
col <- st_read(system.file("shapes/columbus.shp", package="spData"), quiet=TRUE)
nc <- st_read(system.file("shapes/sids.shp", package="spData"), quiet=TRUE)
nb <- poly2nb(col, queen=TRUE)
x <- col$CRIME
num <- function(v) format(v, digits=17)
row <- function(...) paste0("(", paste(..., sep=", "), ")")
for (style in c("W", "B")) {
  lw <- nb2listw(nb, style=style)
  for (r in c(TRUE, FALSE)) {
    m <- moran.test(x, lw, randomisation=r); g <- geary.test(x, lw, randomisation=r)
    cat(sprintf("moran %s rand=%s: %s\n", style, r, paste(num(c(m$estimate, m$statistic, m$p.value)), collapse=" ")))
    cat(sprintf("geary %s rand=%s: %s\n", style, r, paste(num(c(g$estimate, g$statistic, g$p.value)), collapse=" ")))
  }
}
lm <- localmoran(x, nb2listw(nb, style="W"))
cat("local moran (polyid, Ii, E.Ii, Var.Ii, Z.Ii):\n")
cat(paste(sapply(1:49, function(i) row(i, num(lm[i,1]), num(lm[i,2]), num(lm[i,3]), num(lm[i,4]))), collapse=",\n"), "\n")
gs <- attr(localG(x, nb2listw(include.self(nb), style="B"), return_internals=TRUE), "internals")
g <- attr(localG(x, nb2listw(nb, style="B"), return_internals=TRUE), "internals")
cat("getis-ord (polyid, G*i, Z(G*i), Gi, Z(Gi)):\n")
cat(paste(sapply(1:49, function(i) row(i, num(gs[i,1]), num(gs[i,4]), num(g[i,1]), num(g[i,4]))), collapse=",\n"), "\n")
eb <- EBest(nc$SID74, nc$BIR74)
cat("EB (fips, raw, estmm):\n")
cat(paste(sapply(1:100, function(i) row(sprintf("'%s'", nc$FIPS[i]), num(eb$raw[i]), num(eb$estmm[i]))), collapse=",\n"), "\n")
# an island: unit 1 without its links (zero.policy = TRUE)
nbi <- nb
for (j in nbi[[1]]) nbi[[j]] <- setdiff(nbi[[j]], 1L)
nbi[[1]] <- 0L
lwi <- nb2listw(nbi, style="W", zero.policy=TRUE)
m <- moran.test(x, lwi, zero.policy=TRUE)
cat("island moran W: ", paste(num(c(m$estimate, m$statistic)), collapse=" "), "\n")
m <- moran.test(x, lwi, zero.policy=TRUE, randomisation=FALSE)
cat("island moran W normal: ", paste(num(c(m$estimate, m$statistic)), collapse=" "), "\n")
li <- localmoran(x, lwi, zero.policy=TRUE)
cat("island local 1, 2: ", num(li[1, 1:4]), "|", num(li[2, 1:4]), "\n")
