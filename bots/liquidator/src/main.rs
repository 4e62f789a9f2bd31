fn main() { println!("ballast-liquidator: in progress"); }
