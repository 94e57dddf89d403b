//! The Core pretty-printer: one function per paragraph, expressions as
//! indented S-expressions with their types, so snapshot tests show exactly
//! what the backend receives.

use super::{Expr, ExprKind, Failure, Fun, Lit, Program, Ty};
use std::fmt::{self, Write};

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Tuple(i) => return write!(f, "T{i}"),
            Ty::List(i) => return write!(f, "L{i}"),
            Ty::Data(i) => return write!(f, "D{i}"),
            Ty::Fun(i) => return write!(f, "F{i}"),
            Ty::Record(i) => return write!(f, "R{i}"),
            _ => {}
        }
        f.write_str(match self {
            Ty::Int => "Int",
            Ty::Float => "Float",
            Ty::Bool => "Bool",
            Ty::Char => "Char",
            Ty::Unit => "()",
            Ty::Str => "Str",
            Ty::Tuple(_) => "T",
            Ty::List(_) => "L",
            Ty::Data(_) => "D",
            Ty::Fun(_) => "F",
            Ty::Record(_) => "R",
        })
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, g) in self.globals.iter().enumerate() {
            let main = if i == self.main { " (main)" } else { "" };
            writeln!(f, "global g{i} {} : {} = f{}{main}", g.name, g.ty, g.init)?;
        }
        for (i, fields) in self.tuples.iter().enumerate() {
            let fields: Vec<String> = fields.iter().map(|t| t.to_string()).collect();
            writeln!(f, "tuple T{i} = ({})", fields.join(", "))?;
        }
        for (i, elem) in self.lists.iter().enumerate() {
            writeln!(f, "list L{i} = [{elem}]")?;
        }
        for (i, data) in self.datas.iter().enumerate() {
            let cons: Vec<String> = data.cons.iter().map(|(n, fs)| fs.iter().fold(n.clone(), |acc, t| format!("{acc} {t}"))).collect();
            writeln!(f, "data D{i} {} = {}", data.name, cons.join(" | "))?;
        }
        for (i, (a, r)) in self.fun_tys.iter().enumerate() {
            writeln!(f, "fun type F{i} = {a} -> {r}")?;
        }
        for (i, caps) in self.shapes.iter().enumerate() {
            let caps: Vec<String> = caps.iter().map(|t| t.to_string()).collect();
            writeln!(f, "closure shape {i} = ({})", caps.join(", "))?;
        }
        for (i, fields) in self.records.iter().enumerate() {
            let fields: Vec<String> = fields.iter().map(|(k, t)| format!("{k}: {t}")).collect();
            writeln!(f, "record R{i} = {{{}}}", fields.join(", "))?;
        }
        for (i, fun) in self.funs.iter().enumerate() {
            writeln!(f)?;
            write_fun(f, i, fun)?;
        }
        Ok(())
    }
}

fn write_fun(f: &mut fmt::Formatter<'_>, index: usize, fun: &Fun) -> fmt::Result {
    let params: Vec<String> = fun.params.iter().map(|(v, t)| format!("v{v}: {t}")).collect();
    writeln!(f, "fun f{index} {}({}) -> {} =", fun.name, params.join(", "), fun.ret)?;
    let mut out = String::new();
    write_expr(&mut out, &fun.body, 1);
    f.write_str(&out)
}

fn write_expr(out: &mut String, e: &Expr, indent: usize) {
    let pad = "  ".repeat(indent);
    let _ = match &e.kind {
        ExprKind::Lit(lit) => writeln!(out, "{pad}{}", lit_text(lit)),
        ExprKind::Var(v) => writeln!(out, "{pad}v{v}"),
        ExprKind::Global(g) => writeln!(out, "{pad}g{g}"),
        ExprKind::Let(v, value, body) => {
            let _ = writeln!(out, "{pad}let v{v}: {} =", value.ty);
            write_expr(out, value, indent + 1);
            write_expr(out, body, indent);
            Ok(())
        }
        ExprKind::If(c, t, f) => {
            let _ = writeln!(out, "{pad}if : {}", e.ty);
            write_expr(out, c, indent + 1);
            let _ = writeln!(out, "{pad}then");
            write_expr(out, t, indent + 1);
            let _ = writeln!(out, "{pad}else");
            write_expr(out, f, indent + 1);
            Ok(())
        }
        ExprKind::Prim(p, args) => {
            let _ = writeln!(out, "{pad}{p:?} : {}", e.ty);
            args.iter().for_each(|a| write_expr(out, a, indent + 1));
            Ok(())
        }
        ExprKind::Call(fun, args) => {
            let _ = writeln!(out, "{pad}call f{fun} : {}", e.ty);
            args.iter().for_each(|a| write_expr(out, a, indent + 1));
            Ok(())
        }
        ExprKind::Seq(first, second) => {
            let _ = writeln!(out, "{pad}do");
            write_expr(out, first, indent + 1);
            write_expr(out, second, indent);
            Ok(())
        }
        ExprKind::Alloc(fields) => {
            let _ = writeln!(out, "{pad}alloc : {}", e.ty);
            fields.iter().for_each(|a| write_expr(out, a, indent + 1));
            Ok(())
        }
        ExprKind::Field(object, i) => {
            let _ = writeln!(out, "{pad}field {i} : {}", e.ty);
            write_expr(out, object, indent + 1);
            Ok(())
        }
        ExprKind::FunAddr(fun) => writeln!(out, "{pad}code f{fun}"),
        ExprKind::Apply(fun, arg) => {
            let _ = writeln!(out, "{pad}apply : {}", e.ty);
            write_expr(out, fun, indent + 1);
            write_expr(out, arg, indent + 1);
            Ok(())
        }
        ExprKind::Fail(Failure::Message(m)) => writeln!(out, "{pad}fail {m:?} : {}", e.ty),
        ExprKind::Fail(Failure::UserError(msg)) => {
            let _ = writeln!(out, "{pad}error : {}", e.ty);
            write_expr(out, msg, indent + 1);
            Ok(())
        }
        ExprKind::Fail(Failure::Computed(msg)) => {
            let _ = writeln!(out, "{pad}fail computed : {}", e.ty);
            write_expr(out, msg, indent + 1);
            Ok(())
        }
    };
}

fn lit_text(lit: &Lit) -> String {
    match lit {
        Lit::Int(i) => i.to_string(),
        Lit::Float(x) => format!("{x:?}"),
        Lit::Bool(b) => b.to_string(),
        Lit::Char(c) => format!("{c:?}"),
        Lit::Unit => "()".into(),
        Lit::Str(s) => format!("{s:?}"),
    }
}
